"""Test support: signing in (`auth`) and the factories that build rows for tests."""
