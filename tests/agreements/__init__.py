"""Tests of agreements: services, pages, documents, commitments and reminders."""
