// Package history is limber's practice log: one JSON line for every
// session, finished or stopped, appended to a file that is never
// rewritten, and what a person wants to see from it: the streak of days
// with stretching, the days of this week against a goal, a calendar of
// the last weeks and the minutes given to each body area.
//
// Writing: Append adds one whole line under an exclusive lock, so any
// number of limbers ending at once each leave their line intact. Reading:
// Read hands over the entries in file order and skips damaged lines,
// counting them, so one bad line never hides the rest. The summaries
// (Days, Streak, Week, Calendar, AreaMinutes) are pure functions of the
// entries and a clock, which makes streaks across midnight, a change to
// or from daylight saving time and a flight across time zones testable
// with a fixed clock.
//
// A session belongs to the calendar day on which it started, as the
// clock read where it started: each entry keeps its start time with its
// UTC offset, so a session at 23:30 in New York stays on that day after
// a flight to Berlin.
package history
