using Routing.Engine.Commands;

return await RoutingCommandLine.Build().Parse(args).InvokeAsync();
