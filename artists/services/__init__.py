"""Workflows of Kunst rett vest, one module per area: profiles, applications, jury, decisions."""
