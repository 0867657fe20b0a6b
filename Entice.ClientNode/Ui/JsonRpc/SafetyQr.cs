using QRCoder;

namespace Entice.ClientNode.Ui.JsonRpc;

/// <summary>
/// A safety number as a QR code (SVG), to compare with a phone camera: the 60 digits without spaces, in
/// the QR code's numeric mode (error correction M). Made from the digits alone, so the same number gives
/// the same picture on both screens. The SVG is plain shapes (rect and path with fill attributes): no
/// script, no style attribute, nothing a strict Content-Security-Policy refuses.
/// </summary>
public static class SafetyQr
{
    public static string Svg(string safetyNumber)
    {
        ArgumentNullException.ThrowIfNull(safetyNumber);
        var digits = new string(safetyNumber.Where(char.IsAsciiDigit).ToArray());
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(digits, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }
}
