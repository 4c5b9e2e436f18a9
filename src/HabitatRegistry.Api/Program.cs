using HabitatRegistry.Cli;
using HabitatRegistry.Data;
using HabitatRegistry.Features.Access;
using HabitatRegistry.Features.Activities;
using HabitatRegistry.Features.Audit;
using HabitatRegistry.Features.Imports;
using HabitatRegistry.Features.Maps;
using HabitatRegistry.Features.Network;
using HabitatRegistry.Features.OgcApi;
using HabitatRegistry.Features.Registers;
using HabitatRegistry.Features.Reports;
using HabitatRegistry.Features.Targets;
using HabitatRegistry.Features.Tiles;
using HabitatRegistry.Http;

var builder = WebApplication.CreateBuilder(args);
// A command's standard output is its answer (a new key on its last line): log messages go to standard error.
if (CommandLine.IsCommand(args)) builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
builder.AddHabitatDatabase();
builder.AddAccessControl();
builder.Services.AddProblemResponses();
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Encoder = Json.Encoder);
builder.Services.AddSingleton<AuditTrail>();
builder.Services.AddSingleton<RecordImporter>();
builder.Services.AddSingleton<AreaCalculator>();
builder.Services.AddSingleton<RegistryGeneration>();
builder.Services.AddSingleton<RegisterExtents>();
builder.Services.AddScoped<TargetReportBuilder>();
builder.Services.AddSingleton<LandMap>();
builder.Services.AddSingleton<PatchGraphBuilder>();
builder.Services.AddScoped<NetworkAnalysis>();
builder.Services.AddSingleton<NetworkCache>();
builder.Services.AddSingleton<TileCache>();
builder.AddApiDocumentation();
builder.Services.AddHealth();
builder.Services.AddHeavyRequestLimits();

var app = builder.Build();
if (CommandLine.IsCommand(args)) return await CommandLine.RunAsync(app.Services, args, Console.Out);

app.UseSecurityHeaders();
app.UseProblemResponses();
app.UseStatusCodePages();
app.UseReadRetries();
app.UseQueryHygiene();
app.UseAccessControl();
app.UseRateLimiter();
app.UseApiDocumentation();
app.MapHealth();

// Reading is open unless the city closes it; every change needs a role (AccessControl) and is recorded (AuditTrail).
var registry = app.MapGroup("");
AuditTrail.RecordChanges(registry);
registry.MapOgcApi();
registry.MapTiles();
registry.MapImports();
registry.MapActivities();
registry.MapAreaReports();
registry.MapRegisterRecords();
registry.MapTargets();
registry.MapTargetReports();
registry.MapPdca();
registry.MapNetworkProfiles();
registry.MapNetwork();
registry.MapNetworkScenarios();
registry.MapAudit();
registry.MapWebMap();

await app.RunAsync();
return 0;

/// <summary>The web application (for WebApplicationFactory in tests).</summary>
public partial class Program;
