using System.Text;
using System.Text.Json;
using Routing.Checks.Settings;

namespace Routing.Checks.Tests;

public class JsonLineIndexTests
{
    private const string Json = """
        {
          "Routing": {
            // comments are allowed, as in appsettings
            "Regions": {
              "almaty": {
                "CallerPrefixes": [ "+7727",
                  "8727" ],
                "Trunks": { "police": [ { "Name": "p1" }, { "Name": "p2" } ] }
              }
            }
          }
        }
        """;

    [Theory]
    [InlineData("Routing", 2)]
    [InlineData("routing:regions:ALMATY", 5)]
    [InlineData("Routing:Regions:almaty:CallerPrefixes:1", 7)]
    [InlineData("Routing:Regions:almaty:Trunks:police:1:Name", 8)]
    [InlineData("Routing:Regions:almaty:OverflowTo", 5)]
    [InlineData("Nothing:Here", 1)]
    public void Keys_map_to_their_line_or_their_nearest_parent(string key, int line)
    {
        var index = JsonLineIndex.Build(Encoding.UTF8.GetBytes(Json));

        Assert.Equal(line, index.LineOf(key));
    }

    [Fact]
    public void Invalid_json_throws_with_the_line()
    {
        var ex = Assert.ThrowsAny<JsonException>(() => JsonLineIndex.Build("{\n  \"a\": 1,\n  \"b\": }\n"u8));

        Assert.Equal(2, ex.LineNumber);
    }
}
