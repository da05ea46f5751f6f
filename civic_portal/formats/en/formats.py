# Short date and time formats for English pages, in place of Django's. With
# them, SHORT_DATE_FORMAT and SHORT_DATETIME_FORMAT match the public pages'
# "Y-m-d (D) H:i" (2026-12-22 (Tue) 13:00), and times use 24 hours. Templates
# convert to Japan time (TIME_ZONE) first. Other formats come from Django's
# en locale.
SHORT_DATE_FORMAT = "Y-m-d (D)"
SHORT_DATETIME_FORMAT = "Y-m-d (D) H:i"
TIME_FORMAT = "H:i"
