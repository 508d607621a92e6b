package data

import (
	"context"
	"database/sql"
	"fmt"
	"regulars/rules"
	"slices"
	"strings"
)

// Templates returns the message template of every kind: the owner's where
// set, else the default.
func (s *Store) Templates(ctx context.Context) (map[rules.Kind]string, error) {
	return s.templatesOn(ctx, s.reader())
}

// templatesOn is Templates read through q.
func (s *Store) templatesOn(ctx context.Context, q querier) (map[rules.Kind]string, error) {
	keys := make([]any, len(rules.Kinds))
	for i, k := range rules.Kinds {
		keys[i] = rules.TemplateKey(k)
	}
	set := make(map[string]string, len(rules.Kinds))
	err := s.scanEachOn(ctx, q, "SELECT key, value FROM settings WHERE key IN (?"+strings.Repeat(",?", len(keys)-1)+")", keys,
		func(r *sql.Rows, _ *sql.RawBytes) error {
			var k, v string
			if err := r.Scan(&k, &v); err != nil {
				return err
			}
			set[k] = v
			return nil
		})
	if err != nil {
		return nil, err
	}
	return rules.TemplateTexts(set), nil
}

// SetTemplate stores the owner's template for a kind after trying it on a
// sample; a broken one is refused and the old one stays. An empty text
// brings back the default.
func (s *Store) SetTemplate(ctx context.Context, k rules.Kind, text string) error {
	if !slices.Contains(rules.Kinds, k) {
		return fmt.Errorf("%q is not a kind of reminder", k)
	}
	if strings.TrimSpace(text) == "" {
		return s.SetSetting(ctx, rules.TemplateKey(k), "")
	}
	if _, err := rules.RenderMessage(text, rules.SampleFields()); err != nil {
		return fmt.Errorf("the %s template was not saved: %w", k, err)
	}
	return s.SetSetting(ctx, rules.TemplateKey(k), text)
}

func (s *Store) messageTemplates(ctx context.Context) (rules.MessageTemplates, error) {
	texts, err := s.Templates(ctx)
	if err != nil {
		return rules.MessageTemplates{}, err
	}
	return rules.TemplatesFrom(texts), nil
}
