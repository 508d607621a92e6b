// Package demo makes the demo shop: three years of a believable shop's
// history (customers with names of several cultures, sales and refunds,
// points earned and redeemed, contacts, occasions, promises, complaints,
// and what the staff did with past reminders), all from one seeded
// generator, so the same seed and end day give the same shop.
//
// It only makes rows (Shop's slices, rules' types and its own); it knows
// nothing of the database: no SQL. The store (package data) writes them.
package demo
