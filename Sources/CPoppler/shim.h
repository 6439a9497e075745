#ifndef REDLINE_CPOPPLER_SHIM_H
#define REDLINE_CPOPPLER_SHIM_H
#include <poppler.h>
#include <cairo.h>
#include <cairo-pdf.h>
#endif
