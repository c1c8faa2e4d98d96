#!/usr/bin/env python3
"""video-pcap.py OUT [PACKETS] [PAYLOAD_TYPE] [video|audio]: write a tiny pcap of RTP for SIPp's play_pcap_video
(or, with "audio", of G.711 A-law for play_pcap_audio: 20 ms packets of 160 bytes, pt 8 unless told, so that a caller
can still be heard once a call-taker is bridged long after the shipped 7 s g711a.pcap ended).

The real-Asterisk suite writes it at test time into its results directory (no binary in the repository).
Each packet is Ethernet + IPv4 + UDP + RTP (version 2, the given payload type, default 99 = the H264 type
caller-video.xml offers), 90 kHz timestamps, one packet every 40 ms (25 frames/s), each an H.264 single NAL
unit (a non-IDR slice header and filler): Asterisk passes video through without decoding it, so only the
RTP framing matters. SIPp replaces the addresses and ports and keeps the pcap's timing. SSRC 0x11200112
lets the suite recognise these packets in Asterisk's RTP debug ("type 99").
"""
import struct
import sys


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def packet(seq: int, payload_type: int, audio: bool = False) -> bytes:
    if audio:  # A-law "silence" (0xD5), 8 kHz: 160 samples per 20 ms; marker only on the first packet
        rtp = struct.pack("!BBHII", 0x80, (0x80 if seq == 1 else 0) | payload_type, seq, seq * 160, 0x11200113) + bytes([0xD5]) * 160
    else:
        nal = bytes([0x41, 0x9A]) + bytes(range(1, 61))  # NAL type 1 (slice), then 60 bytes of filler
        rtp = struct.pack("!BBHII", 0x80, 0x80 | payload_type, seq, seq * 3600, 0x11200112) + nal
    udp = struct.pack("!HHHH", 40000, 40002, 8 + len(rtp), 0) + rtp
    ip_header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), seq, 0, 64, 17, 0,
                            bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
    ip_header = ip_header[:10] + struct.pack("!H", checksum(ip_header)) + ip_header[12:]
    return b"\0" * 6 + b"\0\0\0\0\0\1" + b"\x08\x00" + ip_header + udp


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    kind = sys.argv[4] if len(sys.argv) > 4 else "video"
    audio = kind == "audio"
    payload_type = int(sys.argv[3]) if len(sys.argv) > 3 else (8 if audio else 99)
    if not 1 <= count <= 10000 or not 0 <= payload_type <= 127 or kind not in ("video", "audio"):
        print("video-pcap.py: PACKETS 1-10000, PAYLOAD_TYPE 0-127, KIND video or audio", file=sys.stderr)
        return 2
    with open(sys.argv[1], "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for seq in range(count):
            frame = packet(seq + 1, payload_type, audio)
            micros = seq * (20_000 if audio else 40_000)
            out.write(struct.pack("<IIII", 1_700_000_000 + micros // 1_000_000, micros % 1_000_000, len(frame), len(frame)))
            out.write(frame)
    return 0


if __name__ == "__main__":
    sys.exit(main())
