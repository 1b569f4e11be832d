"""Tests of the crisis-request workflow and of matching experts to requests."""
