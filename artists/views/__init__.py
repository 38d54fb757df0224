"""Pages of Kunst rett vest, one module per area; each module has its own urlpatterns."""
