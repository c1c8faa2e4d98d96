using Routing.Calls.Centre;
using Routing.Calls.Ports;

namespace Routing.Calls.Tests.Fakes;

/// <summary>Records what a call tells the centre, in order, into the shared log (e.g. <c>centre:deviceLeft calltaker-1 null</c>).</summary>
public sealed class FakeCentre(EventLog log, EntryMode mode = EntryMode.HumanFirst) : ICallCentre
{
    private readonly List<string> _told = [];

    public IReadOnlyList<string> Told
    {
        get
        {
            lock (_told) return _told.ToList();
        }
    }

    public EntryMode ModeFor(CallEntry entry) => mode;

    public void Enqueue(CentreCall call) => Record($"enqueue {call.Request.Region}");

    public void Requeue(string callId, string position) => Record($"requeue {position}");

    public void CallTakerDeviceLeft(string callId, string position, TimeSpan? withCaller) =>
        Record($"deviceLeft {position} {(withCaller is { } t ? t.ToString() : "null")}");

    public void CallTakerLeft(string callId, string position) => Record($"left {position}");

    public void CallEnded(string callId) => Record("ended");

    private void Record(string what)
    {
        lock (_told) _told.Add(what);
        log.Add("centre:" + what);
    }
}
