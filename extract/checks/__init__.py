"""Whole-document checks: functions from a document to the findings it earns. Numbers are never changed."""
