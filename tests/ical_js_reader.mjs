// Reads iCalendar documents with ical.js, the parser of Thunderbird and Nextcloud, for the
// feed tests (tests/calendars.py). One request a line on stdin, {"documents": [text, ...]};
// one answer a line on stdout, {"documents": [{"events": [...]} or {"error": "..."}, ...]},
// each event as {"uid", "start", "end"} with its instants in seconds since 1970 (UTC).
// It reads each document's own VTIMEZONEs, as those apps do with a subscribed feed.
import { createInterface } from "node:readline";

import ICAL from "./vendor/ical.js-2.2.1/ical.js";

function instant(time, property) {
  // A TZID without its VTIMEZONE leaves the time floating (ical.js reads it as UTC): a
  // document must define every zone it names.
  if (time.zone === ICAL.Timezone.localTimezone) {
    throw new Error(`${property} ${time.toString()} is floating: no VTIMEZONE for its TZID`);
  }
  return time.toUnixTime();
}

function read(text) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      start: instant(event.startDate, "DTSTART"),
      end: instant(event.endDate, "DTEND"),
    };
  });
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  const { documents } = JSON.parse(line);
  const answers = documents.map((text) => {
    try {
      return { events: read(text) };
    } catch (error) {
      return { error: String(error && error.stack ? error.stack : error) };
    }
  });
  process.stdout.write(JSON.stringify({ documents: answers }) + "\n");
}
