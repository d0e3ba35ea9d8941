"""Loans mirrored from VBSP: bank events, derived loan state, the exception queue, reconciliation, reports."""
