"""The disciplines an artist can choose, shipped as data (staff may add more)."""

from django.db import migrations

DISCIPLINES = [
    ("painting", "Maleri", "Painting"),
    ("drawing", "Tegning", "Drawing"),
    ("printmaking", "Grafikk", "Printmaking"),
    ("photography", "Fotografi", "Photography"),
    ("sculpture", "Skulptur", "Sculpture"),
    ("installation", "Installasjon", "Installation"),
    ("video", "Video", "Video"),
    ("textile", "Tekstil", "Textile"),
    ("ceramics", "Keramikk", "Ceramics"),
    ("glass", "Glass", "Glass"),
    ("metal-jewellery", "Metall og smykker", "Metal and jewellery"),
    ("wood", "Tre", "Wood"),
    ("other", "Annet", "Other"),
]


def load(apps, schema_editor):
    Discipline = apps.get_model("artists", "Discipline")
    for position, (slug, name_nb, name_en) in enumerate(DISCIPLINES):
        Discipline.objects.update_or_create(
            slug=slug, defaults={"name_nb": name_nb, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("artists", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
