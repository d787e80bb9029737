#pragma once
// Hashes, MACs and randomness on OpenSSL. Outputs are lowercase hex unless stated otherwise.

#include <cstdint>
#include <string>
#include <string_view>

namespace noj::crypto {

std::string Sha256Hex(std::string_view data);
std::string Md5Hex(std::string_view data);
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// n bytes from the CSPRNG. Aborts if the CSPRNG fails (it cannot on Linux with getrandom).
std::string RandomBytes(size_t n);

// Base64url without padding (RFC 4648 §5).
std::string Base64UrlEncode(std::string_view bytes);

// Compares in time independent of where the first difference is (lengths are not secret).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace noj::crypto
