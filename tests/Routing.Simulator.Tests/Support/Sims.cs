namespace Routing.Simulator.Tests.Support;

/// <summary>Simulator set-ups used by the tests.</summary>
internal static class Sims
{
    /// <summary>The trace's conf/extensions.conf: 112 → Stasis(routing112) with no args, fallback police; 101..103 direct.</summary>
    public static DialplanOptions TraceDialplan() => new()
    {
        Contexts = new()
        {
            ["from-caller"] = new()
            {
                ["112"] = new("routing112", [], "police"),
                ["101"] = new("routing112", ["direct", "fire"], "fire", StasisPriority: 1),
                ["102"] = new("routing112", ["direct", "police"], "police", StasisPriority: 1),
                ["103"] = new("routing112", ["direct", "ambulance"], "ambulance", StasisPriority: 1),
            },
        },
    };

    public static Task<SimulatedAsterisk> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var options = new SimulatorOptions
        {
            Dialplan = TraceDialplan(),
            Trunks =
            {
                ["police"] = TrunkBehavior.Answers(TimeSpan.FromMilliseconds(50)),
                ["fire"] = TrunkBehavior.Answers(TimeSpan.FromMilliseconds(50)),
                ["ambulance"] = TrunkBehavior.Answers(TimeSpan.FromMilliseconds(50)),
            },
        };
        configure?.Invoke(options);
        return SimulatedAsterisk.StartAsync(options, CancellationToken.None);
    }

    public static CallScript TestCaller(string dialed = "112", TimeSpan? hangUpAfter = null, IReadOnlyList<DtmfStep>? dtmf = null) =>
        new("+4930123456", dialed, "Test Caller", dtmf, hangUpAfter);

    /// <summary>A 1 kHz 8 kHz 16-bit mono WAV of the given length, like the trace's beep.wav.</summary>
    public static void WriteWav(string path, TimeSpan length)
    {
        int rate = 8000, byteRate = rate * 2;
        int dataBytes = (int)(length.TotalSeconds * byteRate);
        using var w = new BinaryWriter(File.Create(path));
        w.Write("RIFF"u8); w.Write(36 + dataBytes); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(rate); w.Write(byteRate); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(dataBytes);
        w.Write(new byte[dataBytes]);
    }
}
