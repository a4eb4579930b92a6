// The page-ownership heat map on a canvas: one square per cell, the owner's
// colour, brighter with the cell's recent fault rate (8 levels). The server
// sends only changed cells; this redraws only those.
/* global window */
(function () {
  'use strict';
  const LEVELS = 8;
  const NO_OWNER = 31;
  const PALETTE = ['#3d8bfd', '#ff8c32', '#3ddc84', '#d35bff', '#ffd23d', '#ff4d6d', '#3dd6d0', '#a0a0ff'];
  const BG = [10, 13, 17];

  const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const mix = (a, b, t) => a.map((v, i) => Math.round(v + (b[i] - v) * t));

  function nodeColour(node) {
    return node === NO_OWNER ? '#55606c' : PALETTE[node % PALETTE.length];
  }

  /** Level 0: the owner's colour dimmed; level 7: lit toward white. */
  function cellColour(code) {
    const owner = Math.floor(code / LEVELS), level = code % LEVELS;
    const base = rgb(nodeColour(owner));
    const c = level === 0 ? mix(base, BG, 0.45) : mix(base, [255, 255, 255], (level - 1) / (LEVELS - 1) * 0.55);
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  }

  class PageMap {
    constructor(canvas, size) {
      this.canvas = canvas;
      this.ctx = canvas.getContext('2d');
      this.size = size;
      this.codes = new Uint8Array(0);
      this.cols = 1;
      this.px = 1;
    }

    layout(cells) {
      this.cols = Math.ceil(Math.sqrt(cells));
      this.px = Math.max(1, Math.floor(this.size / this.cols));
      const rows = Math.ceil(cells / this.cols);
      this.canvas.width = this.cols * this.px;
      this.canvas.height = rows * this.px;
      this.codes = new Uint8Array(cells);
    }

    /** A `map` message: the full map or the changed cells as [cell, code, cell, code, ...]. */
    apply(msg) {
      if (msg.full || msg.cells !== this.codes.length) {
        this.layout(msg.cells);
        this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
      }
      const ch = msg.changes;
      for (let i = 0; i < ch.length; i += 2) {
        this.codes[ch[i]] = ch[i + 1];
        this.draw(ch[i]);
      }
    }

    draw(cell) {
      const x = (cell % this.cols) * this.px, y = Math.floor(cell / this.cols) * this.px;
      this.ctx.fillStyle = cellColour(this.codes[cell]);
      const gap = this.px >= 6 ? 1 : 0;
      this.ctx.fillRect(x, y, this.px - gap, this.px - gap);
    }

    /** Cell under a mouse event, or -1. */
    cellAt(ev) {
      const r = this.canvas.getBoundingClientRect();
      const col = Math.floor((ev.clientX - r.left) / this.px), row = Math.floor((ev.clientY - r.top) / this.px);
      const cell = row * this.cols + col;
      return col >= 0 && col < this.cols && cell >= 0 && cell < this.codes.length ? cell : -1;
    }

    ownerOf(cell) { return Math.floor(this.codes[cell] / LEVELS); }
  }

  window.UnumPageMap = { PageMap, nodeColour, cellColour, NO_OWNER };
})();
