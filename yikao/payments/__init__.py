"""Payments (issue 20): the online gateway client for now; orders and fees come next."""
