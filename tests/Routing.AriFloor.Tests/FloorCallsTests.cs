using Routing.Asterisk.Ari;

namespace Routing.AriFloor.Tests;

/// <summary>The floor of make bench-asterisk does the bare flow and nothing more: the six requests per call that
/// any ARI application needs, and it lets go of everything whichever side hangs up.</summary>
public class FloorCallsTests
{
    private const string CallerId = "1796567000.10";
    private const string AgencyId = CallerId + "-agency";
    private const string BridgeId = CallerId + "-bridge";

    private readonly ScriptedTransport _wire = new();
    private readonly StringWriter _errors = new();
    private readonly FloorCalls _calls;

    public FloorCallsTests()
    {
        var options = new AriOptions { User = "routing", Password = "secret" };
        _calls = new FloorCalls(new AriRestClient(options, _wire), "routing112", "PJSIP/fire-almaty-1", _errors);
    }

    private static AriChannel Channel(string id) => new(id, "PJSIP/x-" + id, "Up", new AriCallerId("", "+77270100000"));

    private Task Caller_arrives() => _calls.Handle(new StasisStart(["direct", "fire"], Channel(CallerId)));
    private Task Agency_answers() => _calls.Handle(new StasisStart([FloorCalls.AgencyArgument], Channel(AgencyId)));

    [Fact]
    public async Task A_call_costs_six_requests_originate_answer_bridge_add_hang_up_destroy()
    {
        await Caller_arrives();
        await Agency_answers();
        await _calls.Handle(new StasisEnd(Channel(CallerId)));

        Assert.Equal(
            [
                "POST channels", $"POST channels/{CallerId}/answer", "POST bridges",
                $"POST bridges/{BridgeId}/addChannel",
                $"DELETE channels/{AgencyId}", $"DELETE bridges/{BridgeId}",
            ],
            _wire.Requests);
        Assert.Equal((1, 1, 1, 0, 0), (_calls.Started, _calls.Bridged, _calls.Ended, _calls.Open, _calls.Failed));
    }

    [Fact]
    public async Task When_the_agency_hangs_up_first_the_caller_is_hung_up()
    {
        await Caller_arrives();
        await Agency_answers();
        await _calls.Handle(new StasisEnd(Channel(AgencyId)));

        Assert.Equal([$"DELETE channels/{CallerId}", $"DELETE bridges/{BridgeId}"], _wire.Requests.Skip(4));
    }

    [Fact]
    public async Task The_second_side_leaving_and_the_channels_destroyed_end_nothing_twice()
    {
        await Caller_arrives();
        await Agency_answers();
        await _calls.Handle(new StasisEnd(Channel(CallerId)));
        await _calls.Handle(new StasisEnd(Channel(AgencyId)));
        await _calls.Handle(new ChannelDestroyed(16, "Normal Clearing", Channel(CallerId)));

        Assert.Equal(6, _wire.Requests.Count);
        Assert.Equal(1, _calls.Ended);
    }

    [Fact]
    public async Task An_agency_that_never_answers_ends_the_call_when_its_channel_is_destroyed()
    {
        await Caller_arrives();
        await _calls.Handle(new ChannelDestroyed(19, "No Answer", Channel(AgencyId)));

        Assert.Equal([$"DELETE channels/{CallerId}", $"DELETE bridges/{BridgeId}"], _wire.Requests.Skip(3));
        Assert.Equal((0, 1, 0), (_calls.Bridged, _calls.Ended, _calls.Open));
    }

    [Fact]
    public async Task A_failed_originate_is_counted_named_and_the_caller_let_go()
    {
        _wire.Answer("POST channels", 400, """{"message":"Allocation failed"}""");

        await Caller_arrives();

        Assert.Equal(1, _calls.Failed);
        Assert.Contains($"setting up {CallerId}", _errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("Allocation failed", _errors.ToString(), StringComparison.Ordinal);
        Assert.Equal([$"DELETE channels/{AgencyId}", $"DELETE bridges/{BridgeId}"], _wire.Requests.Skip(3));
        Assert.Equal((1, 0), (_calls.Ended, _calls.Open));
    }

    [Fact]
    public async Task A_channel_or_bridge_Asterisk_already_let_go_is_no_error()
    {
        _wire.Answer("DELETE", 404, """{"message":"Channel not found"}""");

        await Caller_arrives();
        await Agency_answers();
        await _calls.Handle(new StasisEnd(Channel(CallerId)));

        Assert.Equal(0, _calls.Failed);
        Assert.Equal("", _errors.ToString());
    }

    [Fact]
    public async Task An_agency_answering_after_its_caller_left_is_not_bridged()
    {
        await Caller_arrives();
        await _calls.Handle(new StasisEnd(Channel(CallerId)));
        await Agency_answers();

        Assert.DoesNotContain(_wire.Requests, r => r.EndsWith("/addChannel", StringComparison.Ordinal));
        Assert.Equal(0, _calls.Bridged);
    }
}
