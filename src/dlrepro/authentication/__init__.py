"""Authenticating drawings by patch votes (S2): the drawings, generated stand-ins, leave-one-out."""
