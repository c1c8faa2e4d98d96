#!/usr/bin/env bash
# Regenerates every prompt's audio from its text:
#   ivr-prompts/<lang>/<prompt>.txt  ->  ivr-prompts/audio/<lang>/<prompt>.wav
# espeak-ng speaks each line, sox joins the lines with a short pause and writes
# what Asterisk's format_wav plays without transcoding: RIFF WAVE, PCM,
# 8000 Hz, mono, 16-bit signed. Audio is committed, so a fresh machine needs
# no speech synthesiser; run this (make prompts) only after changing a text.
#
# A line "xx: text" is spoken in language xx (kk, ru, en) whatever the file's
# language: the language menu is heard before a language is chosen, so it
# offers each language in that language. Other lines use the file's language.
# Blank lines and lines starting with # are skipped.
#
# Needs: espeak-ng and sox (Debian: apt-get install -y espeak-ng sox).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
languages=(kk ru en)
prompts=(greeting language-menu service-menu stay-on-line connecting still-trying silent-call callback-notice queue-position-1 queue-position-2 queue-position-3 queue-position-4 queue-position-5)

for tool in espeak-ng sox; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "generate.sh: $tool not found (apt-get install -y espeak-ng sox)" >&2
        exit 2
    }
done

# espeak-ng voice per language code. Kazakh (trk/kk) ships with espeak-ng;
# check with: espeak-ng --voices=kk
voice_for() {
    case $1 in
        kk) echo kk ;;
        ru) echo ru ;;
        en) echo en-gb ;;
        *) echo "generate.sh: no voice for language '$1'" >&2; return 1 ;;
    esac
}
for lang in "${languages[@]}"; do
    if ! espeak-ng --voices="$(voice_for "$lang")" | grep -q "$(voice_for "$lang")"; then
        echo "generate.sh: espeak-ng has no '$(voice_for "$lang")' voice for $lang" >&2
        exit 2
    fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Speaking rate (words per minute): a little slower than espeak's 175, for
# callers under stress on narrow-band phone lines.
rate=150

# Pause between lines and the lead-in silence (seconds): a prompt must not
# start before the caller's phone has finished connecting the audio path.
sox -D -n -r 22050 -c 1 -b 16 "$work/pause.wav" trim 0 0.4
sox -D -n -r 22050 -c 1 -b 16 "$work/lead.wav" trim 0 0.25

for lang in "${languages[@]}"; do
    mkdir -p "$here/audio/$lang"
    for prompt in "${prompts[@]}"; do
        text="$here/$lang/$prompt.txt"
        [[ -s $text ]] || { echo "generate.sh: missing text $text" >&2; exit 2; }
        parts=("$work/lead.wav")
        n=0
        while IFS= read -r line || [[ -n $line ]]; do
            [[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
            speak_lang=$lang
            if [[ $line =~ ^(kk|ru|en):[[:space:]]*(.*)$ ]]; then
                speak_lang=${BASH_REMATCH[1]}
                line=${BASH_REMATCH[2]}
            fi
            n=$((n + 1))
            (( n > 1 )) && parts+=("$work/pause.wav")
            # espeak-ng writes 22050 Hz mono 16-bit WAV.
            espeak-ng -v "$(voice_for "$speak_lang")" -s "$rate" -w "$work/$n.wav" -- "$line"
            parts+=("$work/$n.wav")
        done < "$text"
        (( n > 0 )) || { echo "generate.sh: $text has no text to speak" >&2; exit 2; }
        # -D: no dither, so the same text always gives the same bytes.
        # gain -n -3: normalise to -3 dBFS; rate -v: high-quality resampling.
        sox -D "${parts[@]}" -r 8000 -c 1 -b 16 -e signed-integer "$here/audio/$lang/$prompt.wav" \
            gain -n -3 rate -v 8000
        echo "audio/$lang/$prompt.wav"
    done
done
