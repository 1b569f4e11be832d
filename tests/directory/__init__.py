"""Tests of the CSAP panel, the focal-point directory and command editing."""
