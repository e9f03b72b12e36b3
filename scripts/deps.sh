#!/usr/bin/env bash
# deps.sh: install what limber's build and tests need on a Debian machine,
# skipping whatever is already there. Safe to run again.
#
#   libasound2-dev   ALSA headers: the speaker (cgo) needs them to build
#   sox              tests read our WAV files back and make audio fixtures
#   sndfile-programs libsndfile's sndfile-info, which lists WAV markers
#   tmux             tests drive the live player's keyboard controls
#   festival, festvox-us-slt-hts
#                    the voice of the built-in pack: voices a user's own
#                    words (tests run it for real) and cues/generate.sh
#   espeak-ng        the fallback engine for a user's words
#   time             GNU time: the hostile-input tests read limber's peak
#                    memory with it
#   flac, ffmpeg     tests read limber's FLAC files back: flac -d and
#                    metaflac, ffprobe for chapters
#   dbus, dbus-bin, playerctl
#                    a private session bus and a media-key client for the
#                    tests of the MPRIS controls
#   pulseaudio, pulseaudio-utils, libasound2-plugins
#                    a real sound server for the tests: limber plays into
#                    a null sink through ALSA's pulse plugin, parec records it,
#                    paplay speaks commands into the test's microphone
#   libpocketsphinx-dev, pocketsphinx-en-us, libspeexdsp-dev
#                    offline keyword spotting for voice commands
#                    (limber play --listen): headers to build, the US
#                    English acoustic model and dictionary to run, and
#                    speexdsp's noise suppressor for a loud background
#   systemd          systemd-analyze, which checks the units limber remind
#                    writes as a user's systemd would load them
#   qemu-user-static runs limber built for arm64 (make cross), whose
#                    exports must be the bytes amd64 makes
#   zsh, fish        the tests load limber's completion scripts in them
#                    (bash is there already)
set -euo pipefail

need=()
dpkg -s libasound2-dev >/dev/null 2>&1 || need+=(libasound2-dev)
command -v sox >/dev/null 2>&1 || need+=(sox libsox-fmt-all)
command -v sndfile-info >/dev/null 2>&1 || need+=(sndfile-programs)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v text2wave >/dev/null 2>&1 || need+=(festival)
[ -d /usr/share/festival/voices/us/cmu_us_slt_arctic_hts ] || need+=(festvox-us-slt-hts)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
[ -x /usr/bin/time ] || need+=(time)
command -v metaflac >/dev/null 2>&1 || need+=(flac)
command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
command -v dbus-daemon >/dev/null 2>&1 || need+=(dbus-daemon)
command -v dbus-monitor >/dev/null 2>&1 || need+=(dbus-bin)
command -v playerctl >/dev/null 2>&1 || need+=(playerctl)
command -v pulseaudio >/dev/null 2>&1 || need+=(pulseaudio)
command -v parec >/dev/null 2>&1 || need+=(pulseaudio-utils)
dpkg -s libasound2-plugins >/dev/null 2>&1 || need+=(libasound2-plugins)
dpkg -s libpocketsphinx-dev >/dev/null 2>&1 || need+=(libpocketsphinx-dev)
dpkg -s libspeexdsp-dev >/dev/null 2>&1 || need+=(libspeexdsp-dev)
[ -f /usr/share/pocketsphinx/model/en-us/en-us/mdef ] || need+=(pocketsphinx-en-us)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v qemu-aarch64-static >/dev/null 2>&1 || need+=(qemu-user-static)
command -v zsh >/dev/null 2>&1 || need+=(zsh)
command -v fish >/dev/null 2>&1 || need+=(fish)

if [ ${#need[@]} -eq 0 ]; then
	exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo=sudo
	else
		echo "deps.sh: missing ${need[*]}; install them as root (apt-get install ${need[*]})" >&2
		exit 1
	fi
fi
echo "deps.sh: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
