"""Forms of the orchestra's pages; each module one area."""
