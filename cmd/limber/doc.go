/*
Limber is a hands-free stretching player: it reads a routine of
stretches, holds, sides and repetitions and guides you through it with a
recorded voice and short tones, live through the speaker or as a WAV or
FLAC file.

Usage:

	limber COMMAND [flags] [args]

The commands are:

	play NAME         play a routine or a single stretch, with keyboard controls
	say ID|WORDS...   say voice cues or any words, or write them to a file with -o
	export NAME       render a routine or stretch to a 16-bit WAV file with markers,
	                  or a FLAC file with chapters and tags (-o FILE.flac)
	plan NAME         print the timeline, as text or (--json) for scripts
	list              list the routines, and the stretches by body area, with their
	                  lengths and positions (--area, --position, --json)
	check FILE        validate a routine file
	cues              list the voice cues and your phrases; voice (--synth) or record them
	mics              list the microphones play --listen can use (--mic NAME)
	init [FILE]       write a starter routine file with your own words (- for stdout)
	log               your practice: the streak, this week against a goal, a
	                  12-week calendar, minutes per body area; --json, --csv
	log add NAME      record a session done elsewhere (--date, --minutes)
	remind            reminders to stretch: --daily HH:MM NAME, --every 1h
	                  --between 09:00-17:00 NAME, --list, --off [NAME]
	nudge NAME        ask with a desktop notification: Start plays NAME,
	                  Later asks again (--later, default 10 minutes)
	completion SHELL  print a script that completes commands, flags, names,
	                  areas and levels in bash, zsh or fish

NAME is a routine (limber list shows the 16 built-in ones: upper-back,
desk-break, hips, bedtime, full-body-10...) or a stretch id, which plays
alone with a short lead-in. play, plan and export also make a routine to
measure: --minutes N (2 to 60) with no NAME, --focus AREAS, --position
LIST, --avoid LIST, --gentle, --seed N (default: today's date), --save FILE
(plan --explain says why each stretch was chosen); NAME --minutes N fits a
routine to a length, and --hold S sets every static hold. Your routine files add to the built-in
library: $XDG_CONFIG_HOME/limber/routines.json is read when it exists, and
--routines FILE (repeatable) adds more. Wherever a routine file names a
cue, it may write words instead; they are voiced once, before anything
plays, by festival (the built-in voice), espeak-ng or --tts COMMAND, and
cached under $XDG_CACHE_HOME/limber; --tts-all (or "tts_all" in
config.json) voices the built-in cues with the --tts engine as well, so
one voice says everything. Most commands take --pace FACTOR (0.5
to 2, scales every hold and rest), --coach LEVEL (full, brief or tones)
and --voice DIR (your own recordings, one file per cue or phrase id). play
and export take --music FILE, a music bed ducked under the voice. Volume
is in per cent wherever limber takes or shows it: play --volume 80 (or
80%; 0 to 150), --music-volume 30 (0 to 100).

While playing on a terminal: space pauses (a soft falling sound; a rising
one when it goes on), n or the right arrow skips to the next stretch, s
to the next side or repetition of this one, p or the left arrow goes
back to the start of this one (twice quickly: the one before), r says
the instruction again, + and - change the volume, q quits, Ctrl-C stops (exit 130) and Ctrl-Z suspends.
On a desktop the session is also a media player on the D-Bus session bus
(MPRIS), so headset buttons, media keys and playerctl do the same (their
Next is n). A status line on standard error shows where the session is,
redrawn only when that changes; where standard error is not a terminal
(a pipe, a log) or is one with TERM=dumb, plain lines say when each
stretch begins and when the session pauses and goes on. With play
--listen (or "listen": true in config.json) spoken commands do what the
keys do, offline, through pocketsphinx: "limber pause", "limber
continue", "limber next", "limber back", "limber repeat", "limber
louder", "limber quieter", "limber stop"; --mic NAME picks the
microphone.

Long work speaks up: an export on a terminal ends with one line saying
what it wrote; voicing new words shows its progress on a terminal, and
elsewhere one line when it starts and one when it ends. In a pipe a
successful export says nothing.

Every live session, finished or stopped, is appended as one JSON line to
the practice log, $XDG_STATE_HOME/limber/history.jsonl
(~/.local/state/limber); play --no-log, or "log": false in
$XDG_CONFIG_HOME/limber/config.json, keeps it out. A day counts toward
the streak and the week with a finished session or 2 minutes in all;
"goal_days_per_week" in config.json sets the weekly goal (default 3).
Reminders are systemd user timers on Linux and launchd agents on macOS;
each runs limber nudge NAME when due.

Exit status is 0 on success, 1 when something fails at run time (no sound
device, a full disk, a text-to-speech engine that breaks), 2 for bad usage
or invalid input (a routine file that is missing, a routine file or
config.json that cannot be read or is invalid), 130 and 143 when stopped
by SIGINT or SIGTERM.
"limber --version" prints the version. Errors are
printed to standard error as one line each, "limber: ...", with the
file, line, column and field of a problem in a routine file.

See README.md for the routine format and the details.
*/
package main
