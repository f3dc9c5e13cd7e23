#include "core/data/jpeg_decode.h"

#include "core/base/error.h"

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <jpeglib.h>

namespace msup {

namespace {

    struct ErrorManager {
        jpeg_error_mgr pub;
        std::jmp_buf jump;
        char message[JMSG_LENGTH_MAX];
        char warning[JMSG_LENGTH_MAX];
        int warnings;
    };

    extern "C" void onJpegError(j_common_ptr cinfo)
    {
        auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
        (*cinfo->err->format_message)(cinfo, err->message);
        std::longjmp(err->jump, 1);
    }

    // Level -1 is a warning (corrupt data: libjpeg goes on and fills what is missing); levels >= 0
    // are trace messages. Nothing is printed.
    extern "C" void onJpegMessage(j_common_ptr cinfo, int level)
    {
        auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
        if (level < 0) {
            if (err->warnings++ == 0)
                (*cinfo->err->format_message)(cinfo, err->warning);
        }
    }

    extern "C" void onJpegOutput(j_common_ptr) { }

    // An APP1 "Exif" segment before the image data (OpenCV then applies the orientation it holds).
    bool hasExif(jpeg_decompress_struct& cinfo)
    {
        for (jpeg_saved_marker_ptr m = cinfo.marker_list; m; m = m->next)
            if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 && std::memcmp(m->data, "Exif\0\0", 6) == 0)
                return true;
        return false;
    }

    // All of the decoding between setjmp and the end lives in plain C data (no destructors skipped by
    // longjmp). Returns 0 on success, 1 on an error (message in err.message); *needsOpenCv is set when
    // the caller must decode with OpenCV instead (after the whole stream was read without a warning).
    int decode(const unsigned char* data, unsigned long size, bool grey, ErrorManager& err, cv::Mat* out,
        bool* needsOpenCv)
    {
        jpeg_decompress_struct cinfo;
        std::memset(&cinfo, 0, sizeof cinfo);
        cinfo.err = jpeg_std_error(&err.pub);
        err.pub.error_exit = onJpegError;
        err.pub.emit_message = onJpegMessage;
        err.pub.output_message = onJpegOutput;
        err.warnings = 0;
        err.message[0] = err.warning[0] = 0;
        if (setjmp(err.jump)) {
            jpeg_destroy_decompress(&cinfo);
            return 1;
        }
        jpeg_create_decompress(&cinfo);
        jpeg_mem_src(&cinfo, data, size);
        jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xffff);
        jpeg_read_header(&cinfo, TRUE);
        const bool special = cinfo.num_components == 4 || hasExif(cinfo);
        *needsOpenCv = special;
        // Without a transform: the same colour conversion as OpenCV's decoder (libjpeg's own).
        cinfo.out_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
        if (special) {
            // Read the whole stream (at 1/8 scale: cheap) only to see every warning.
            cinfo.scale_num = 1;
            cinfo.scale_denom = 8;
            cinfo.out_color_space = cinfo.num_components == 4 ? JCS_CMYK : cinfo.out_color_space;
        }
        jpeg_start_decompress(&cinfo);
        const int channels = cinfo.output_components;
        *out = cv::Mat(int(cinfo.output_height), int(cinfo.output_width), CV_8UC(channels));
        while (cinfo.output_scanline < cinfo.output_height) {
            JSAMPROW row = out->ptr(int(cinfo.output_scanline));
            jpeg_read_scanlines(&cinfo, &row, 1);
        }
        jpeg_finish_decompress(&cinfo);
        jpeg_destroy_decompress(&cinfo);
        return 0;
    }

} // namespace

bool isJpegData(const QByteArray& bytes)
{
    return bytes.size() >= 2 && uchar(bytes[0]) == 0xff && uchar(bytes[1]) == 0xd8;
}

cv::Mat decodeJpegChecked(const QByteArray& bytes, const QString& path, bool grey)
{
    ErrorManager err;
    cv::Mat out;
    bool needsOpenCv = false;
    const int failed = decode(reinterpret_cast<const unsigned char*>(bytes.constData()),
        static_cast<unsigned long>(bytes.size()), grey, err, &out, &needsOpenCv);
    if (failed)
        throw Error(std::string("JPEG data cannot be decoded (") + err.message + ")", path.toStdString(),
            "Re-download or re-export it; the pair is skipped.");
    if (err.warnings > 0)
        throw Error(std::string("JPEG data is corrupt (") + err.warning
                + "): only part of the image could be decoded",
            path.toStdString(), "Re-download or re-export it; the pair is skipped.");
    return needsOpenCv ? cv::Mat() : out;
}

} // namespace msup
