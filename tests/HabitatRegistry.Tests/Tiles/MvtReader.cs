using System.Text;

namespace HabitatRegistry.Tests.Tiles;

/// <summary>A feature of a decoded tile: its id, type (1 point, 2 line, 3 polygon), properties and parts in tile units.</summary>
public sealed record MvtFeature(ulong Id, int Type, IReadOnlyDictionary<string, object> Properties, IReadOnlyList<IReadOnlyList<(int X, int Y)>> Parts)
{
    public IEnumerable<(int X, int Y)> Points => Parts.SelectMany(p => p);
}

public sealed record MvtLayer(string Name, int Version, int Extent, IReadOnlyList<MvtFeature> Features);

/// <summary>
/// Reads a Mapbox Vector Tile (spec 2.1) from its protobuf bytes, independently of the server's encoder: layers, features,
/// their properties and their geometry commands (MoveTo, LineTo, ClosePath) as integer tile coordinates.
/// </summary>
public static class MvtReader
{
    public static IReadOnlyList<MvtLayer> Read(byte[] tile)
    {
        var layers = new List<MvtLayer>();
        foreach (var (field, value) in Fields(tile))
        {
            if (field == 3) layers.Add(Layer((byte[])value));
        }
        return layers;
    }

    private static MvtLayer Layer(byte[] bytes)
    {
        string name = "";
        int version = 1, extent = 4096;
        var keys = new List<string>();
        var values = new List<object>();
        var features = new List<byte[]>();
        foreach (var (field, value) in Fields(bytes))
        {
            switch (field)
            {
                case 1: name = Encoding.UTF8.GetString((byte[])value); break;
                case 2: features.Add((byte[])value); break;
                case 3: keys.Add(Encoding.UTF8.GetString((byte[])value)); break;
                case 4: values.Add(Value((byte[])value)); break;
                case 5: extent = (int)(ulong)value; break;
                case 15: version = (int)(ulong)value; break;
            }
        }
        return new MvtLayer(name, version, extent, [.. features.Select(f => Feature(f, keys, values))]);
    }

    private static object Value(byte[] bytes)
    {
        foreach (var (field, value) in Fields(bytes))
        {
            return field switch
            {
                1 => Encoding.UTF8.GetString((byte[])value),
                2 => (double)BitConverter.Int32BitsToSingle((int)(uint)(ulong)value),
                3 => BitConverter.Int64BitsToDouble((long)(ulong)value),
                4 => (long)(ulong)value,
                5 => (long)(ulong)value,
                6 => ZigZag((ulong)value),
                7 => (ulong)value != 0,
                _ => throw new InvalidDataException($"value field {field}"),
            };
        }
        throw new InvalidDataException("empty value");
    }

    private static MvtFeature Feature(byte[] bytes, List<string> keys, List<object> values)
    {
        ulong id = 0;
        var type = 0;
        var tags = new List<ulong>();
        var commands = new List<ulong>();
        foreach (var (field, value) in Fields(bytes))
        {
            switch (field)
            {
                case 1: id = (ulong)value; break;
                case 2: tags.AddRange(Packed((byte[])value)); break;
                case 3: type = (int)(ulong)value; break;
                case 4: commands.AddRange(Packed((byte[])value)); break;
            }
        }
        var properties = new Dictionary<string, object>();
        for (var i = 0; i + 1 < tags.Count; i += 2) properties[keys[(int)tags[i]]] = values[(int)tags[i + 1]];

        var parts = new List<IReadOnlyList<(int, int)>>();
        List<(int, int)>? part = null;
        int x = 0, y = 0, at = 0;
        while (at < commands.Count)
        {
            var command = (int)(commands[at] & 7);
            var count = (int)(commands[at] >> 3);
            at++;
            if (command == 7) { part!.Add(part[0]); continue; } // ClosePath: the ring ends where it began
            for (var k = 0; k < count; k++)
            {
                x += (int)ZigZag(commands[at++]);
                y += (int)ZigZag(commands[at++]);
                if (command == 1 && (type != 1 || part is null)) parts.Add(part = []);
                part!.Add((x, y));
            }
        }
        return new MvtFeature(id, type, properties, parts);
    }

    private static long ZigZag(ulong n) => (long)(n >> 1) ^ -(long)(n & 1);

    private static IEnumerable<ulong> Packed(byte[] bytes)
    {
        var at = 0;
        while (at < bytes.Length) yield return Varint(bytes, ref at);
    }

    /// <summary>The fields of a protobuf message: varints and fixed numbers as ulong, length-delimited ones as bytes.</summary>
    private static IEnumerable<(int Field, object Value)> Fields(byte[] bytes)
    {
        var at = 0;
        while (at < bytes.Length)
        {
            var key = Varint(bytes, ref at);
            var field = (int)(key >> 3);
            switch (key & 7)
            {
                case 0: yield return (field, Varint(bytes, ref at)); break;
                case 1: yield return (field, BitConverter.ToUInt64(bytes, at)); at += 8; break;
                case 2:
                    var length = (int)Varint(bytes, ref at);
                    yield return (field, bytes[at..(at + length)]);
                    at += length;
                    break;
                case 5: yield return (field, (ulong)BitConverter.ToUInt32(bytes, at)); at += 4; break;
                default: throw new InvalidDataException($"wire type {key & 7}");
            }
        }
    }

    private static ulong Varint(byte[] bytes, ref int at)
    {
        ulong result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[at++];
            result |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return result;
        }
    }
}
