package data

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"regulars/data/pgtest"
)

// The store's tests on both engines. Every test that makes its shop with
// openTestShop (newTestStore, lyOpen, rmStore, ioStore) runs on SQLite as
// usual, and again inside TestTheStoreOnPostgreSQL, where openTestShop
// gives it a fresh database on one shared throwaway PostgreSQL instead:
// the same store methods, the same expectations.

func TestMain(m *testing.M) {
	// The tests keep the till's name in a settings folder of their own,
	// never in the machine's.
	dir, err := os.MkdirTemp("", "regulars-config")
	if err == nil {
		os.Setenv("XDG_CONFIG_HOME", dir)
	}
	code := pgtest.Main(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

// onPostgresSuite is the name every test run by TestTheStoreOnPostgreSQL
// starts with.
const onPostgresSuite = "TestTheStoreOnPostgreSQL/"

// runBeside lets a long test run beside the package's other parallel
// tests once the others are done. Inside TestTheStoreOnPostgreSQL, whose
// tests already run side by side, it does nothing.
func runBeside(t *testing.T) {
	if !strings.HasPrefix(t.Name(), onPostgresSuite) {
		t.Parallel()
	}
}

// openTestShop opens a fresh, empty shop for t with opt: a file in t's
// temporary folder, or a new database on the shared PostgreSQL when t
// runs inside TestTheStoreOnPostgreSQL. It is closed when t ends.
func openTestShop(t testing.TB, opt Options) *Store {
	t.Helper()
	where := filepath.Join(t.TempDir(), "shop.db")
	if strings.HasPrefix(t.Name(), onPostgresSuite) {
		where = pgSocketURL(t, pgtest.Shared(t))
	}
	s, err := Open(context.Background(), where, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fileOnly is the tests that make their shop with openTestShop but test
// what only a file has; TestTheStoreOnPostgreSQL leaves them out.
var fileOnly = map[string]string{
	"TestBackupOnFullDiskLeavesDatabaseUntouched":      "the file's backup onto a full disk",
	"TestOpenRefusesAShopWhoseSchemaWasChanged":        "a file's schema changed by hand",
	"TestRestoreIsAudited":                             "restoring over the file (restore onto PostgreSQL: cli/backup_pg_test.go)",
	"TestRestoreWaitsForStoresAndStoresWaitForRestore": "the file's lock",
	"TestSearchNameInABlob":                            "a blob written into name_fold by hand, which only SQLite stores in a text column",
	"TestSearchNamesWrittenOutOfOrder":                 "capitals written into name_fold by hand, compared with SQLite's LIKE, which folds them",
	"TestSearchPatchesEveryKindOfWrite":                "capitals written into name_fold by hand, compared with SQLite's LIKE, which folds them",
	"TestSearchSeesOtherWriters":                       "the demo shop, made in a file only",
	"TestSecondCopyOnFullDiskSaysSo":                   "the file's second backup copy onto a full disk",
}

// TestTheStoreSuiteHoldsEveryTest keeps storeSuite whole: every test
// function of the package that makes its shop through openTestShop's
// helpers is in it or in fileOnly.
func TestTheStoreSuiteHoldsEveryTest(t *testing.T) {
	listed := map[string]bool{}
	for _, tc := range storeSuite {
		listed[tc.name] = true
	}
	helpers := map[string]bool{"openTestShop": true, "newTestStore": true, "lyOpen": true, "rmStore": true, "ioStore": true}
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := 0
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Test") || fn.Name.Name == "TestTheStoreOnPostgreSQL" {
				continue
			}
			uses := false
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && helpers[id.Name] {
					uses = true
				}
				return !uses
			})
			if !uses {
				continue
			}
			found++
			if !listed[fn.Name.Name] && fileOnly[fn.Name.Name] == "" {
				t.Errorf("%s (%s) makes its shop with openTestShop: add it to storeSuite, or to fileOnly with why", fn.Name.Name, name)
			}
		}
	}
	if found != len(storeSuite)+len(fileOnly) {
		t.Errorf("%d tests make their shop with openTestShop; storeSuite and fileOnly name %d", found, len(storeSuite)+len(fileOnly))
	}
}

// storeSuite is the tests TestTheStoreOnPostgreSQL runs again on PostgreSQL.
var storeSuite = []struct {
	name string
	fn   func(*testing.T)
}{
	{"TestSensitiveActionsAreAudited", TestSensitiveActionsAreAudited},
	{"TestBackupAndRestore", TestBackupAndRestore},
	{"TestBackupToUnwritablePlaceLeavesDatabaseAlone", TestBackupToUnwritablePlaceLeavesDatabaseAlone},
	{"TestCheckoutCardSaysWhatTheTillShouldKnow", TestCheckoutCardSaysWhatTheTillShouldKnow},
	{"TestCheckoutCardSaysWhichPointsExpireFirst", TestCheckoutCardSaysWhichPointsExpireFirst},
	{"TestEveryCSVExportNeutralisesTextButNotNumbers", TestEveryCSVExportNeutralisesTextButNotNumbers},
	{"TestMatchCustomerOrder", TestMatchCustomerOrder},
	{"TestAddCustomerValidates", TestAddCustomerValidates},
	{"TestSearchCustomers", TestSearchCustomers},
	{"TestMergeMovesHistory", TestMergeMovesHistory},
	{"TestDuplicates", TestDuplicates},
	{"TestExportCustomersImportsAgainUnchanged", TestExportCustomersImportsAgainUnchanged},
	{"TestExportPurchasesImportsAgainUnchanged", TestExportPurchasesImportsAgainUnchanged},
	{"TestExportICS", TestExportICS},
	{"TestOccasions", TestOccasions},
	{"TestPromises", TestPromises},
	{"TestComplaints", TestComplaints},
	{"TestContacts", TestContacts},
	{"TestRemindersWordAmountsAndDaysTheShopsWay", TestRemindersWordAmountsAndDaysTheShopsWay},
	{"TestDoneTodayKeepsRemindersHandledEarlyOrMergedAway", TestDoneTodayKeepsRemindersHandledEarlyOrMergedAway},
	{"TestHandledRemindersStayInHistoryWhenTheFactsMoveOn", TestHandledRemindersStayInHistoryWhenTheFactsMoveOn},
	{"TestMovedStatesLatestChangeWins", TestMovedStatesLatestChangeWins},
	{"TestImportCustomersRefusesWholeFileWithBadRows", TestImportCustomersRefusesWholeFileWithBadRows},
	{"TestImportCustomersSkipBadWritesExactlyTheGoodRows", TestImportCustomersSkipBadWritesExactlyTheGoodRows},
	{"TestImportCustomersDryRunWritesNothing", TestImportCustomersDryRunWritesNothing},
	{"TestImportCustomersFileErrors", TestImportCustomersFileErrors},
	{"TestImportCustomersManyRowsInOneTransaction", TestImportCustomersManyRowsInOneTransaction},
	{"TestImportPurchasesFileErrors", TestImportPurchasesFileErrors},
	{"TestImportPurchasesManyRows", TestImportPurchasesManyRows},
	{"TestForeignExportBadRowsAndDuplicatesAsForOurs", TestForeignExportBadRowsAndDuplicatesAsForOurs},
	{"TestColumnMap", TestColumnMap},
	{"TestPreviewCustomersCSVRecognisesTheExport", TestPreviewCustomersCSVRecognisesTheExport},
	{"TestImportVCardFileErrors", TestImportVCardFileErrors},
	{"TestImportVCardSamples", TestImportVCardSamples},
	{"TestImportVCardFourWithBadCards", TestImportVCardFourWithBadCards},
	{"TestImportsStopAtTheLimitsOfAFile", TestImportsStopAtTheLimitsOfAFile},
	{"TestVCardImportPassesOverPicturesAndStopsAtLimits", TestVCardImportPassesOverPicturesAndStopsAtLimits},
	{"TestImportRefusesDatesFarAheadAndReferencesThatDisagree", TestImportRefusesDatesFarAheadAndReferencesThatDisagree},
	{"TestAdjustPoints", TestAdjustPoints},
	{"TestAdjustmentCannotMakeALaterBalanceNegative", TestAdjustmentCannotMakeALaterBalanceNegative},
	{"TestBalanceLedgerAndBalancesUpToToday", TestBalanceLedgerAndBalancesUpToToday},
	{"TestApplyExpiry", TestApplyExpiry},
	{"TestApplyExpiryClampsToTheMonthsEnd", TestApplyExpiryClampsToTheMonthsEnd},
	{"TestApplyExpiryOffWritesNothing", TestApplyExpiryOffWritesNothing},
	{"TestApplyExpiryNeverMakesALaterBalanceNegative", TestApplyExpiryNeverMakesALaterBalanceNegative},
	{"TestApplyExpiryAllCustomers", TestApplyExpiryAllCustomers},
	{"TestUnusableSchemeIsRefused", TestUnusableSchemeIsRefused},
	{"TestOwnerPINLockout", TestOwnerPINLockout},
	{"TestNewPINsNeedSixToTwelveDigits", TestNewPINsNeedSixToTwelveDigits},
	{"TestNoPINGuardsNothing", TestNoPINGuardsNothing},
	{"TestAnOldShortPINStillOpensAndGetsTheStrongerHash", TestAnOldShortPINStillOpensAndGetsTheStrongerHash},
	{"TestNewPINsAreHashedAtTheOwnerCost", TestNewPINsAreHashedAtTheOwnerCost},
	{"TestExportCustomerHoldsEverything", TestExportCustomerHoldsEverything},
	{"TestForgetCustomerKeepsTotalsAndLedger", TestForgetCustomerKeepsTotalsAndLedger},
	{"TestQueueFromTheStore", TestQueueFromTheStore},
	{"TestQueueDriftingShareSetting", TestQueueDriftingShareSetting},
	{"TestHandledOnListsOnlyThatDaysWork", TestHandledOnListsOnlyThatDaysWork},
	{"TestHoldersFrom", TestHoldersFrom},
	{"TestRecordSale", TestRecordSale},
	{"TestRecordSaleRefusalsWriteNothing", TestRecordSaleRefusalsWriteNothing},
	{"TestRecordSaleExpiresPointsFirst", TestRecordSaleExpiresPointsFirst},
	{"TestRefund", TestRefund},
	{"TestRefundRefusalsWriteNothing", TestRefundRefusalsWriteNothing},
	{"TestRefundOfWalkInWritesNoPoints", TestRefundOfWalkInWritesNoPoints},
	{"TestVoidPurchase", TestVoidPurchase},
	{"TestVoidRefusalsWriteNothing", TestVoidRefusalsWriteNothing},
	{"TestVoidWalkIn", TestVoidWalkIn},
	{"TestMovePurchase", TestMovePurchase},
	{"TestMoveWalkInToCustomer", TestMoveWalkInToCustomer},
	{"TestMoveRefusalsWriteNothing", TestMoveRefusalsWriteNothing},
	{"TestPurchaseListsNewestFirstUpToToday", TestPurchaseListsNewestFirstUpToToday},
	{"TestTopCustomers", TestTopCustomers},
	{"TestImportPurchase", TestImportPurchase},
	{"TestSchemeChangeKeepsHistoryValid", TestSchemeChangeKeepsHistoryValid},
	{"TestSearchMatchesTheStatement", TestSearchMatchesTheStatement},
	{"TestSearchNamePrefixRun", TestSearchNamePrefixRun},
	{"TestSearchFragmentsDoNotSpanFields", TestSearchFragmentsDoNotSpanFields},
	{"TestSearchShortTextsAndDigits", TestSearchShortTextsAndDigits},
	{"TestSearchNonASCIINames", TestSearchNonASCIINames},
	{"TestSearchFollowsEdits", TestSearchFollowsEdits},
	{"TestSearchOfAReadOnlyStore", TestSearchOfAReadOnlyStore},
	{"TestShopDetailsRoundTripAndRefusals", TestShopDetailsRoundTripAndRefusals},
	{"TestPopupEveryStaysWithinFifteenMinutes", TestPopupEveryStaysWithinFifteenMinutes},
	{"TestTodayCountWithFollowsTheRulesGiven", TestTodayCountWithFollowsTheRulesGiven},
	{"TestObligationsNameThePromiseAndComplaint", TestObligationsNameThePromiseAndComplaint},
	{"TestLocaleIsStoredWithTheShopAndChecked", TestLocaleIsStoredWithTheShopAndChecked},
	{"TestSetUpStoresEveryAnswer", TestSetUpStoresEveryAnswer},
	{"TestPINLockHoldsOnAReadOnlyStore", TestPINLockHoldsOnAReadOnlyStore},
	{"TestNewestGoodBackupSkipsDamagedOnes", TestNewestGoodBackupSkipsDamagedOnes},
	{"TestLedgerIsAppendOnly", TestLedgerIsAppendOnly},
	{"TestSettingsRoundTripAndDefaults", TestSettingsRoundTripAndDefaults},
	{"TestCheckFindsASummaryRowThatDiffersFromTheFacts", TestCheckFindsASummaryRowThatDiffersFromTheFacts},
	{"TestASaleFailsWhenItsSummaryRowCannotBeWorkedOut", TestASaleFailsWhenItsSummaryRowCannotBeWorkedOut},
	{"TestSetTemplate", TestSetTemplate},
	{"TestBrokenStoredTemplateGivesAMessageNotAFailure", TestBrokenStoredTemplateGivesAMessageNotAFailure},
}
