"""How Kulturvest writes dates and times in English: "Sunday 13 December, 18:00".

Django's own en module fills in what is not set here (input formats, separators). The
names that end in _DAY_ are ours, read by the filters in core/templatetags/kv.py.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"

# Ours: a day with its weekday, in this year and another year, long and short.
DAY_FORMAT = "l j F"
DAY_YEAR_FORMAT = "l j F Y"
SHORT_DAY_FORMAT = "D j M"
SHORT_DAY_YEAR_FORMAT = "D j M Y"
# Joins a day and a time: "Sunday 13 December, 18:00".
DAY_TIME_JOIN = "{day}, {time}"
