#!/usr/bin/env bash
# Regenerates the synthetic clips in fixtures/audio/ (development only: needs `apt-get install espeak-ng`).
# Encoding uses the bundled 2018 ffmpeg, which has every encoder needed here (mp3, aac, opus, flac, amr-nb).
set -euo pipefail
cd "$(dirname "$0")/.."
out=fixtures/audio
ff=$(node -p "require('@ffmpeg-installer/ffmpeg').path")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
in=(-hide_banner -loglevel error -y)
plain=(-map_metadata -1 -fflags +bitexact -flags:a +bitexact)

espeak-ng -v cmn -s 200 -w "$tmp/rep.wav" "您好，给您介绍新款传感器。"
espeak-ng -v cmn -s 200 -w "$tmp/cust.wav" "价格能便宜点吗？"
espeak-ng -v cmn -s 190 -w "$tmp/visit.wav" "王经理您好，这款阀门的交货周期是两周，明天上午我把报价单发给您。"

"$ff" "${in[@]}" -i "$tmp/rep.wav" "${plain[@]}" -c:a pcm_s16le "$out/visit.wav"
"$ff" "${in[@]}" -i "$tmp/rep.wav" "${plain[@]}" -ar 44100 -c:a flac "$out/visit.flac"
"$ff" "${in[@]}" -i "$tmp/visit.wav" "${plain[@]}" -ar 44100 -c:a libmp3lame -b:a 32k "$out/visit.mp3"
"$ff" "${in[@]}" -i "$tmp/visit.wav" "${plain[@]}" -ar 48000 -c:a aac -b:a 32k "$out/visit.m4a"
"$ff" "${in[@]}" -i "$tmp/visit.wav" "${plain[@]}" -ar 48000 -c:a libopus -b:a 16k "$out/visit.ogg"
"$ff" "${in[@]}" -i "$tmp/visit.wav" "${plain[@]}" -ar 48000 -c:a libopus -b:a 16k -f webm "$out/visit.webm"
"$ff" "${in[@]}" -i "$tmp/visit.wav" "${plain[@]}" -ar 8000 -c:a libopencore_amrnb -b:a 12.2k "$out/visit.amr"
"$ff" "${in[@]}" -i "$tmp/rep.wav" -i "$tmp/cust.wav" \
  -filter_complex "[0:a]apad,atrim=0:8[l];[1:a]adelay=4500,apad,atrim=0:8[r];[l][r]join=inputs=2:channel_layout=stereo" \
  "${plain[@]}" -ar 8000 -c:a pcm_s16le "$out/call-stereo.wav"

# Bad input.
: > "$out/empty.m4a"
printf '这不是录音，是拜访纪要：客户问价格能不能便宜点。\n' > "$out/notes.mp3"
"$ff" "${in[@]}" -f lavfi -i color=c=red:s=16x16 -frames:v 1 -f image2 -c:v png "$out/image.mp3"
"$ff" "${in[@]}" -i "$tmp/rep.wav" -t 2 "${plain[@]}" -ar 8000 -ac 1 -c:a pcm_s16le "$tmp/short8k.wav"
python3 - "$out" "$tmp" <<'PY'
import random, struct, sys
out, tmp = sys.argv[1], sys.argv[2]
rnd = random.Random(42)
open(f'{out}/random.wav', 'wb').write(bytes(rnd.getrandbits(8) for _ in range(3000)))
mp3 = open(f'{out}/visit.mp3', 'rb').read()
open(f'{out}/truncated.mp3', 'wb').write(mp3[: len(mp3) * 4 // 10])
open(f'{out}/voice.silk', 'wb').write(b'\x02#!SILK_V3' + bytes(rnd.getrandbits(8) for _ in range(2000)))
m4a = bytearray(open(f'{out}/visit.m4a', 'rb').read())
i, r = m4a.find(b'mdat'), random.Random(7)
for k in range(i + 204, min(len(m4a), i + 30004)):
    m4a[k] = r.getrandbits(8)
open(f'{out}/broken.m4a', 'wb').write(bytes(m4a))
wav = bytearray(open(f'{tmp}/short8k.wav', 'rb').read())
d = wav.find(b'data')
wav[d + 4:d + 8] = struct.pack('<I', 1 << 30)
wav[4:8] = struct.pack('<I', (1 << 30) + d)
open(f'{out}/huge-header.wav', 'wb').write(bytes(wav))
PY
echo "fixtures/audio regenerated"
