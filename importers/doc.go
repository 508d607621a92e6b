// Package importers reads the files a shop brings in: customers CSV files
// (ours, or the exports of Google Contacts, Outlook, Shopify and Square,
// recognised by their header row, or any file with a column map), purchases
// CSV files, and vCards. It turns their rows into plain customer and
// purchase rows and says, line by line, what is wrong with the rest; it
// guards against files that are not text, too long or too wide.
//
// It knows nothing of the database: no SQL. It plans a purchases file
// against what the store loaded (customers, references, refunded sales);
// loading them, and writing the rows, are the store's (package data).
package importers
