"""Seed the usual instruments of a symphony orchestra; staff may add more as data."""

from django.db import migrations

# name_nb, name_en, section, in score order
INSTRUMENTS = [
    ("Fløyte", "Flute", "woodwind"),
    ("Obo", "Oboe", "woodwind"),
    ("Klarinett", "Clarinet", "woodwind"),
    ("Fagott", "Bassoon", "woodwind"),
    ("Horn", "Horn", "brass"),
    ("Trompet", "Trumpet", "brass"),
    ("Trombone", "Trombone", "brass"),
    ("Tuba", "Tuba", "brass"),
    ("Slagverk", "Percussion", "percussion"),
    ("Harpe", "Harp", "other"),
    ("Piano", "Piano", "other"),
    ("Fiolin", "Violin", "strings"),
    ("Bratsj", "Viola", "strings"),
    ("Cello", "Cello", "strings"),
    ("Kontrabass", "Double bass", "strings"),
    ("Annet", "Other", "other"),
]


def seed(apps, schema_editor):
    Instrument = apps.get_model("orchestra", "Instrument")
    for position, (name_nb, name_en, section) in enumerate(INSTRUMENTS, start=1):
        Instrument.objects.update_or_create(
            name_nb=name_nb,
            defaults={"name_en": name_en, "section": section, "position": position * 10},
        )


def unseed(apps, schema_editor):
    Instrument = apps.get_model("orchestra", "Instrument")
    Instrument.objects.filter(
        name_nb__in=[name_nb for name_nb, _en, _section in INSTRUMENTS],
        member_instruments__isnull=True,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("orchestra", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
