"""Pieces every app shares: domain errors, field encryption, identifiers, text normalisation."""
