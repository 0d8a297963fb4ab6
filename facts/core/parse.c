/*
 * parse.c — small parsers every evidence format needs: dotted versions and
 * error codes in the shapes Windows prints them, netmasks as prefix
 * lengths; and the one writer of times as ISO 8601 text, the form every
 * time slot holds.
 */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "facts.h"
#include "hexdigit.h"

bool kbf_version_parse(const char *s, size_t len, unsigned v[4])
{
	size_t i = 0;
	while (i < len && s[i] == ' ')
		i++;
	if (i == len || !isdigit((unsigned char)s[i]))
		return false;
	for (int part = 0; part < 4; part++) {
		unsigned long n = 0;
		size_t start = i;
		while (i < len && isdigit((unsigned char)s[i])) {
			if (n < 100000000ul)
				n = n * 10 + (unsigned long)(s[i] - '0');
			i++;
		}
		v[part] = i > start ? (unsigned)n : 0;
		if (i > start && i < len && (s[i] == '.' || s[i] == ',') && i + 1 < len &&
		    isdigit((unsigned char)s[i + 1])) {
			i++;
			continue;
		}
		for (int rest = part + 1; rest < 4; rest++)
			v[rest] = 0;
		break;
	}
	return true;
}

/* The major part is capped at 32767, not 65535: 65535 << 48 does not fit
 * an int64_t (shifting into its sign bit is undefined), and no Windows
 * version comes near it. */
int64_t kbf_version_code(const unsigned v[4])
{
	uint64_t code = 0;
	for (int i = 0; i < 4; i++) {
		unsigned cap = i == 0 ? 32767 : 65535;
		code = code << 16 | (v[i] > cap ? cap : v[i]);
	}
	return (int64_t)code;
}

/* "40 27 00 00": a little-endian DWORD as event data bytes. */
static bool data_bytes(const char *s, size_t len, int64_t *code)
{
	if (len != 11)
		return false;
	uint32_t v = 0;
	for (int b = 0; b < 4; b++) {
		const char *p = s + b * 3;
		int hi = kbu_hex_digit(p[0]), lo = kbu_hex_digit(p[1]);
		if (hi < 0 || lo < 0 || (b < 3 && p[2] != ' '))
			return false;
		v |= (uint32_t)(hi << 4 | lo) << (8 * b);
	}
	*code = v;
	return true;
}

bool kbf_parse_error_code(const char *s, size_t len, int64_t *code)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && (isspace((unsigned char)s[len - 1]) || s[len - 1] == '.' || s[len - 1] == ','))
		len--;
	if (!len)
		return false;
	if (data_bytes(s, len, code))
		return true;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (len > 18)
			return false;
		uint64_t v = 0;
		for (size_t i = 2; i < len; i++) {
			int h = kbu_hex_digit(s[i]);
			if (h < 0)
				return false;
			v = v << 4 | (uint64_t)h;
		}
		*code = (int64_t)(v & 0xFFFFFFFFu);
		return v <= 0xFFFFFFFFu;
	}
	bool neg = s[0] == '-';
	size_t i = neg;
	if (i == len || len - i > 11)
		return false;
	int64_t v = 0;
	for (; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (neg)
		v = -v;
	if (v < INT32_MIN || v > (int64_t)UINT32_MAX)
		return false;
	*code = v < 0 ? (int64_t)(uint32_t)(int32_t)v : v; /* -2147467259 is 0x80004005 */
	return true;
}

bool kbf_iso_utc(int64_t sec, char out[KBF_ISO_UTC_SIZE])
{
	time_t t = (time_t)sec;
	struct tm tm;
	out[0] = '\0';
	if (!gmtime_r(&t, &tm) || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900)
		return false;
	strftime(out, KBF_ISO_UTC_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return true;
}

int kbf_netmask_prefix(const unsigned char *mask, size_t n)
{
	int bits = 0;
	size_t i = 0;
	for (; i < n && mask[i] == 0xFF; i++)
		bits += 8;
	if (i < n) {
		unsigned char b = mask[i++];
		while (b & 0x80) {
			bits++;
			b = (unsigned char)(b << 1);
		}
		if (b)
			return -1;
	}
	for (; i < n; i++)
		if (mask[i])
			return -1;
	return bits;
}
