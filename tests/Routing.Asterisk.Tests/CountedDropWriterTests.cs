using System.Threading.Channels;
using Routing.Asterisk.Tests.Support;

namespace Routing.Asterisk.Tests;

public class CountedDropWriterTests
{
    private static (Channel<string> Channel, CountedDropWriter<string> Writer) Make(int capacity)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        return (channel, new CountedDropWriter<string>(channel.Writer, n => $"lost {n}"));
    }

    [Fact]
    public void Never_blocks_and_counts_what_did_not_fit()
    {
        var (_, writer) = Make(2);
        var accepted = Enumerable.Range(0, 5).Count(i => writer.Write("e" + i));
        Assert.Equal(2, accepted);
        Assert.Equal(3, writer.TotalLost);
    }

    [Fact]
    public async Task Loss_marker_is_written_as_soon_as_the_reader_frees_a_slot_even_without_new_items()
    {
        var (channel, writer) = Make(2);
        foreach (var e in new[] { "e0", "e1", "e2", "e3" }) writer.Write(e);

        Assert.Equal("e0", await channel.Reader.ReadAsync());
        Assert.Equal("e1", await channel.Reader.ReadAsync());
        Assert.Equal("lost 2", await Eventually.Within(channel.Reader.ReadAsync().AsTask(), "the loss marker"));
        writer.Write("e4");
        Assert.Equal("e4", await channel.Reader.ReadAsync());
    }

    [Fact]
    public async Task Items_are_dropped_while_the_marker_itself_does_not_fit_so_order_holds()
    {
        var (channel, writer) = Make(1);
        writer.Write("e0");
        writer.Write("e1"); // lost
        Assert.Equal("e0", await channel.Reader.ReadAsync());
        await Eventually.True(() => channel.Reader.Count == 1, "marker to take the freed slot");
        writer.Write("e2"); // channel holds the marker: lost too, counted in the next marker

        Assert.Equal("lost 1", await channel.Reader.ReadAsync());
        Assert.Equal("lost 1", await Eventually.Within(channel.Reader.ReadAsync().AsTask(), "second marker"));
        Assert.Equal(2, writer.TotalLost);
    }
}
