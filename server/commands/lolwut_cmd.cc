// LOLWUT [VERSION v] [args]: Redis's computer-art easter egg, which clients
// and tests call to identify the server ("Redis ver. 7.0.15" ends every
// reply). VERSION 5 draws Georg Nees's "Schotter" (1968) in Unicode braille
// dots; VERSION 6 draws a random city skyline with terminal colours; any
// other version, and the default (this version's major, 7), only names the
// version, as Redis 7.0 does.
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <vector>

#include "common/numbers.h"
#include "common/text.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/commands/families.h"
#include "server/errors.h"
#include "server/version.h"

namespace strata::server {

namespace {

// A grid of pixels, each a small colour number (0 = background).
class Canvas {
 public:
  Canvas(int width, int height) : width_(width), height_(height), pixels_(width * height, 0) {}
  int width() const { return width_; }
  int height() const { return height_; }
  void Set(int x, int y, int color) {
    if (x >= 0 && y >= 0 && x < width_ && y < height_) pixels_[y * width_ + x] = color;
  }
  int Get(int x, int y) const {
    return x >= 0 && y >= 0 && x < width_ && y < height_ ? pixels_[y * width_ + x] : 0;
  }

  // Bresenham's line from (x0, y0) to (x1, y1), both ends included.
  void Line(int x0, int y0, int x1, int y1, int color) {
    int dx = std::abs(x1 - x0), dy = std::abs(y1 - y0);
    int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int err = dx - dy;
    for (;;) {
      Set(x0, y0, color);
      if (x0 == x1 && y0 == y1) break;
      int e2 = err * 2;
      if (e2 > -dy) {
        err -= dy;
        x0 += sx;
      }
      if (e2 < dx) {
        err += dx;
        y0 += sy;
      }
    }
  }

  // The outline of a square centred on (x, y), `side` wide, turned by `angle`.
  void Square(int x, int y, float side, float angle, int color) {
    float radius = std::round(side / 1.4142135623f);  // centre to corner, scaled as Redis
    int px[4], py[4];
    float a = static_cast<float>(M_PI) / 4 + angle;
    for (int i = 0; i < 4; ++i, a += static_cast<float>(M_PI) / 2) {
      px[i] = static_cast<int>(std::round(std::sin(a) * radius + x));
      py[i] = static_cast<int>(std::round(std::cos(a) * radius + y));
    }
    for (int i = 0; i < 4; ++i) Line(px[i], py[i], px[(i + 1) % 4], py[(i + 1) % 4], color);
  }

  // Each 2x4 block of pixels becomes one Unicode braille character (U+2800
  // plus the dots' bits, in the standard dot order).
  std::string Braille() const {
    static constexpr int kDot[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
    std::string out;
    for (int y = 0; y < height_; y += 4) {
      for (int x = 0; x < width_; x += 2) {
        int bits = 0;
        for (int dy = 0; dy < 4; ++dy) {
          for (int dx = 0; dx < 2; ++dx) {
            if (Get(x + dx, y + dy)) bits |= kDot[dy][dx];
          }
        }
        int code = 0x2800 + bits;  // three UTF-8 bytes
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
      }
      if (y != height_ - 1) out += '\n';
    }
    return out;
  }

 private:
  int width_, height_;
  std::vector<int> pixels_;
};

// Optional integer arguments, as Redis reads them (getLongFromObjectOrReply).
bool ReadArgs(CommandContext& ctx, size_t first, std::vector<int64_t>* values) {
  for (size_t i = 0; i < values->size() && first + i < ctx.argv.size(); ++i) {
    if (!ParseInt64(ctx.argv[first + i], &(*values)[i])) {
      ctx.ReplyError(errors::kNotInteger);
      return false;
    }
  }
  return true;
}

int64_t Clamp(int64_t v, int64_t lo, int64_t hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

// Schotter: rows of squares, more and more turned and shifted at random
// towards the bottom.
void Version5(CommandContext& ctx, size_t first) {
  std::vector<int64_t> args = {66, 8, 12};  // columns, squares per row, squares per column
  if (!ReadArgs(ctx, first, &args)) return;
  int cols = static_cast<int>(Clamp(args[0], 1, 1000));
  int per_row = static_cast<int>(Clamp(args[1], 1, 200));
  int per_col = static_cast<int>(Clamp(args[2], 1, 200));
  int width = cols * 2;
  int padding = width > 4 ? 2 : 0;
  float side = static_cast<float>(width - padding * 2) / static_cast<float>(per_row);
  Canvas canvas(width, static_cast<int>(side * static_cast<float>(per_col)) + padding * 2);
  std::mt19937 rng(std::random_device{}());
  std::uniform_real_distribution<float> unit(0, 1);
  for (int y = 0; y < per_col; ++y) {
    for (int x = 0; x < per_row; ++x) {
      int cx = static_cast<int>(static_cast<float>(x) * side + side / 2 + padding);
      int cy = static_cast<int>(static_cast<float>(y) * side + side / 2 + padding);
      float angle = 0;
      if (y > 1) {  // the first two rows stay in order
        float disorder = static_cast<float>(y) / static_cast<float>(per_col);
        auto jitter = [&] { return unit(rng) * disorder * (rng() % 2 ? -1.0f : 1.0f); };
        angle = jitter();
        cx += static_cast<int>(jitter() * side / 3);
        cy += static_cast<int>(jitter() * side / 3);
      }
      canvas.Square(cx, cy, side, angle, 1);
    }
  }
  ctx.reply->Verbatim(canvas.Braille() +
                      "\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. " +
                      kRedisVersion + "\n");
}

// A night skyline: buildings of random height and width with lit windows,
// one terminal cell per pixel.
void Version6(CommandContext& ctx, size_t first) {
  std::vector<int64_t> args = {80, 20};  // columns, rows
  if (!ReadArgs(ctx, first, &args)) return;
  int cols = static_cast<int>(Clamp(args[0], 1, 1000));
  int rows = static_cast<int>(Clamp(args[1], 1, 1000));
  Canvas canvas(cols, rows);  // 0 sky, 1 far buildings, 2 near buildings, 3 windows
  std::mt19937 rng(std::random_device{}());
  for (int layer = 1; layer <= 2; ++layer) {
    for (int x = 0; x < cols;) {
      int w = 3 + static_cast<int>(rng() % 8);
      int h = rows / (layer == 1 ? 2 : 3) + static_cast<int>(rng() % (rows / 2 + 1));
      if (rng() % 3 == 0 && layer == 2) {  // a gap between near buildings
        x += w;
        continue;
      }
      for (int bx = x; bx < x + w && bx < cols; ++bx) {
        for (int by = rows - h; by < rows; ++by) {
          bool window = layer == 2 && bx > x && bx < x + w - 1 && (by - (rows - h)) % 2 == 1 &&
                        (bx - x) % 2 == 1 && rng() % 2 == 0;
          canvas.Set(bx, by, window ? 3 : layer);
        }
      }
      x += w + (layer == 1 ? 0 : 1);
    }
  }
  static const char* kColors[] = {"0;30;40", "0;90;100", "0;37;47", "0;97;107"};
  std::string out;
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < cols; ++x) {
      out += fmt::format("\033[{}m \033[0m", kColors[canvas.Get(x, y)]);
    }
    if (y != rows - 1) out += '\n';
  }
  out +=
      "\nDedicated to the 8 bit game developers of past and present.\n"
      "Original 8 bit image from Plaguemon by hikikomori. Redis ver. ";
  out += kRedisVersion;
  out += '\n';
  ctx.reply->Verbatim(out);
}

void Lolwut(CommandContext& ctx) {
  int64_t version = 7;  // Redis 7.0's own has no drawing
  if (ctx.argv.size() >= 3 && EqualsIgnoreCase(ctx.argv[1], "version")) {
    if (!ParseInt64(ctx.argv[2], &version)) return ctx.ReplyError(errors::kNotInteger);
  }
  if (version == 5) return Version5(ctx, 3);
  if (version == 6) return Version6(ctx, 3);
  ctx.reply->Verbatim(std::string("Redis ver. ") + kRedisVersion + "\n");
}

}  // namespace

void RegisterLolwutCommand(CommandTable& table) {
  table.Register("lolwut", Lolwut);
}

}  // namespace strata::server
