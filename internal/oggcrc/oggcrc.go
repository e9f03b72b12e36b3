// Package oggcrc computes the checksum of an Ogg page: CRC-32 with the
// polynomial 0x04c11db7, not reflected, starting at 0 (RFC 3533), which
// hash/crc32 does not offer.
package oggcrc

var table = func() (t [256]uint32) {
	for i := range t {
		c := uint32(i) << 24
		for range 8 {
			if c&0x80000000 != 0 {
				c = c<<1 ^ 0x04c11db7
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

// Update continues the checksum crc over b; a page's checksum starts at
// 0 and covers the whole page with its checksum field set to zeros.
func Update(crc uint32, b []byte) uint32 {
	for _, x := range b {
		crc = crc<<8 ^ table[byte(crc>>24)^x]
	}
	return crc
}
