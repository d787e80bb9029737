#pragma once
// Hashes, MACs and randomness on OpenSSL. Outputs are lowercase hex unless stated otherwise.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace noj::crypto {

std::string Sha256Hex(std::string_view data);
std::string Md5Hex(std::string_view data);
std::string HmacSha256Hex(std::string_view key, std::string_view data);
// The raw 32-byte MAC (webhook signatures encode it in base64).
std::string HmacSha256(std::string_view key, std::string_view data);

// n bytes from the CSPRNG. Aborts if the CSPRNG fails (it cannot on Linux with getrandom).
std::string RandomBytes(size_t n);

// Base64url without padding (RFC 4648 §5).
std::string Base64UrlEncode(std::string_view bytes);

// Base64 with the standard alphabet and '=' padding (RFC 4648 §4).
std::string Base64Encode(std::string_view bytes);
// The bytes of padded standard base64; nullopt for anything else (bad character, length or
// padding, whitespace).
std::optional<std::string> Base64Decode(std::string_view text);

// Compares in time independent of where the first difference is (lengths are not secret).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace noj::crypto
