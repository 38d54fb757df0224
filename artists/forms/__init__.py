"""Forms of Kunst rett vest, one module per area."""
