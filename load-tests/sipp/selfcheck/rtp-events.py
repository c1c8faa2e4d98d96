#!/usr/bin/env python3
"""Self-check only: count RFC 4733 telephone-events sent to a UDP port on the loopback interface.

    rtp-events.py PORT SECONDS

Listens on "lo" (needs root, like play_pcap_audio itself) for at most SECONDS, or until SIGTERM,
then prints the digit of every event start (RTP payload type 101 with the marker bit set), one
per line. Every dtmf_2833_<d>.pcap holds exactly one such packet, so the list is one digit per
pcap that SIPp played towards PORT.
"""
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 3
EVENT_PAYLOAD_TYPE = 101


def main() -> int:
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    digits = []
    stop = False

    def on_term(_signum, _frame):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(ETH_P_ALL))
    sock.bind(("lo", 0))
    sock.settimeout(0.2)
    deadline = time.monotonic() + seconds
    print("listening", flush=True)
    while not stop and time.monotonic() < deadline:
        try:
            frame, address = sock.recvfrom(65535)
        except socket.timeout:
            continue
        if address[2] == socket.PACKET_OUTGOING:  # loopback shows every packet twice
            continue
        ip = frame[14:]
        if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != socket.IPPROTO_UDP:
            continue
        udp = ip[(ip[0] & 0x0F) * 4:]
        if len(udp) < 8 + 12 + 4 or struct.unpack("!H", udp[2:4])[0] != port:
            continue
        rtp = udp[8:]
        marker, payload_type = rtp[1] >> 7, rtp[1] & 0x7F
        if payload_type == EVENT_PAYLOAD_TYPE and marker:
            digits.append(rtp[12])
    for digit in digits:
        print(digit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
