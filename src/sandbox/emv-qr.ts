/**
 * Fabricated EMV-style QRIS payloads for the simulators: tag-length-value
 * fields ending in a CRC-16/CCITT-FALSE "6304" tag, so QR libraries and
 * scanners accept what the sandbox hands out. Not a payable QR.
 */
export function crc16Ccitt(input: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(input, "utf8")) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, "0");
}

const tlv = (tag: string, value: string) => `${tag}${String(value.length).padStart(2, "0")}${value}`;

export function emvQrString(merchantName: string, amount: number, reference: string): string {
  const body =
    tlv("00", "01") +
    tlv("01", "12") + // dynamic QR
    tlv("26", tlv("00", "ID.CO.QRIS.WWW") + tlv("01", "936000000000000000")) +
    tlv("52", "5999") +
    tlv("53", "360") + // IDR
    tlv("54", String(amount)) +
    tlv("58", "ID") +
    tlv("59", merchantName.slice(0, 25)) +
    tlv("60", "JAKARTA") +
    tlv("62", tlv("01", reference.slice(0, 25)));
  return `${body}6304${crc16Ccitt(`${body}6304`)}`;
}
