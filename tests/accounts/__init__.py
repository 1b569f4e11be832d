"""Tests of sign-in, passwords, two-factor, throttling and sessions."""
