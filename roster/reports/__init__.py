"""The coordinator dashboard: coverage gaps, request performance, participation, exports."""
