"""Bulk import of expert profiles from a spreadsheet: read, check, preview, then confirm."""
