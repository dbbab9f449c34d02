"""Maple's dialogue as a finite-state machine: questions, validation, navigation (no Telegram)."""
