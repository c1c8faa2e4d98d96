#!/usr/bin/env bash
# Generates the hold/comfort audio callers hear while the engine rings an
# agency (channel music on hold, class "default" in dialplans/musiconhold.conf.in):
#   ivr-prompts/moh/comfort.wav
# A calm, slow sequence of soft sine chords with gentle fades, made from
# nothing but sox's synthesiser, so it is free of any rights. It starts and ends
# in near-silence, so Asterisk's looping is seamless, and is written as
# Asterisk's format_wav plays it without transcoding: RIFF WAVE, PCM, 8000 Hz,
# mono, 16-bit signed. Quiet on purpose (peak about -14 dBFS): it tells the
# caller the line is alive without covering an agency that answers.
# The audio is committed; run this only to change it.
#
# Needs: sox (Debian: apt-get install -y sox).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v sox >/dev/null 2>&1 || {
    echo "generate-moh.sh: sox not found (apt-get install -y sox)" >&2
    exit 2
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Four chords (root and major third / fifth), 3 s each with 1 s fades: A, F, C, G,
# low in the telephone band (300-3400 Hz) so G.711 carries them cleanly.
chords=("440 554.37 659.25" "349.23 440 523.25" "392 493.88 587.33" "392 523.25 659.25")
parts=()
i=0
for chord in "${chords[@]}"; do
    read -r a b c <<<"$chord"
    # The second and third synth effects mix their sine into the first.
    sox -D -n -r 8000 -c 1 -b 16 "$work/chord$i.wav" \
        synth 3 sine "$a" synth 3 sine mix "$b" synth 3 sine mix "$c" fade t 1 3 1 gain -n -14
    parts+=("$work/chord$i.wav")
    i=$((i + 1))
done
sox -D -n -r 8000 -c 1 -b 16 "$work/gap.wav" trim 0 0.5

mkdir -p "$here/moh"
sox -D "${parts[0]}" "$work/gap.wav" "${parts[1]}" "$work/gap.wav" "${parts[2]}" "$work/gap.wav" "${parts[3]}" "$work/gap.wav" \
    -r 8000 -c 1 -b 16 -e signed-integer "$here/moh/comfort.wav"
echo "wrote $here/moh/comfort.wav ($(soxi -D "$here/moh/comfort.wav") s)"
