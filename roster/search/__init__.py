"""Roster search: criteria, the query builder shared by page and API, facets and the text index."""
