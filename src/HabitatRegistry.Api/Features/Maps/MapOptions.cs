namespace HabitatRegistry.Features.Maps;

/// <summary>Settings of the web map at /map (section "Habitat:Map"; environment: Habitat__Map__…).</summary>
public sealed class MapOptions
{
    /// <summary>
    /// Draw GSI's pale map (地理院タイル, cyberjapandata.gsi.go.jp) under the registers, with its credit 出典：国土地理院.
    /// Off by default: the browsers of a city's internal network may not reach the internet; the map then has a plain
    /// background and the city boundary.
    /// </summary>
    public bool GsiBaseMap { get; set; }
}
