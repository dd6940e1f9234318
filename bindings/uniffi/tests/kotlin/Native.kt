// Where the native library came from. scripts/test-uniffi runs this program against the
// booking-core JAR with -Dbookingcore.test.libraryFromJar=true: the library must then come from
// the JAR's JNA resource (linux-x86-64/libbooking_ffi.so), not from a path set outside it.
package org.bookingcore.test

import com.sun.jna.Library
import com.sun.jna.NativeLibrary
import com.sun.jna.Platform
import com.sun.jna.Pointer
import org.bookingcore.*
import org.bookingcore.test.Checks.check
import org.bookingcore.test.Checks.equal
import java.io.File
import java.security.MessageDigest

fun sha256(bytes: ByteArray): String =
    MessageDigest.getInstance("SHA-256").digest(bytes).joinToString("") { "%02x".format(it) }

/** A line of /proc/self/maps: an address range and the file mapped there. */
class Mapping(line: String) {
    private val fields = line.trim().split(Regex("\\s+"), limit = 6)
    val range = fields[0]
    val path = fields.getOrElse(5) { "" }
    private val start = java.lang.Long.parseUnsignedLong(range.substringBefore('-'), 16)
    private val end = java.lang.Long.parseUnsignedLong(range.substringAfter('-'), 16)

    operator fun contains(address: Long) =
        java.lang.Long.compareUnsigned(address, start) >= 0 && java.lang.Long.compareUnsigned(address, end) < 0
}

fun nativeLibrary() {
    liveObjectCount() // the binding loads its library on first use
    // The generated code registers its functions with the library JNA finds for "booking_ffi" in
    // the class loader of the binding's classes; asked the same way, JNA answers that library.
    val lib = NativeLibrary.getInstance(
        "booking_ffi",
        mapOf(Library.OPTION_CLASSLOADER to BookingEngine::class.java.classLoader),
    )
    // The file the binding's code runs from: the mapping that holds one of its functions.
    val address = Pointer.nativeValue(lib.getFunction("uniffi_booking_ffi_fn_func_live_object_count"))
    val maps = File("/proc/self/maps")
    if (!maps.exists()) {
        println("native library: JNA opened ${lib.file}; no /proc/self/maps here to say more")
        return
    }
    val mapping = maps.readLines().map(::Mapping).firstOrNull { address in it }
    val resource = "${Platform.RESOURCE_PREFIX}/${System.mapLibraryName("booking_ffi")}"
    val url = BookingEngine::class.java.classLoader.getResource(resource)
    println("native library: JNA opened ${lib.file}, mapped from ${mapping?.path}; class path resource $resource: $url")
    check(mapping != null && mapping.path.startsWith("/"), "the binding's functions are mapped from a file")

    if (System.getProperty("bookingcore.test.libraryFromJar") != "true") return
    equal(System.getProperty("jna.library.path"), null, "no jna.library.path")
    equal(System.getenv("LD_LIBRARY_PATH"), null, "no LD_LIBRARY_PATH")
    check(url?.protocol == "jar", "$resource is a resource of a JAR ($url)")
    // JNA extracts a class path library to a temporary file of its own naming (and deletes it once
    // loaded), where a library path holds a file named libbooking_ffi.so.
    val name = File(mapping?.path.orEmpty().removeSuffix(" (deleted)")).name
    check(name != System.mapLibraryName("booking_ffi"), "the library is JNA's extracted copy, not $name")
    // Its bytes are those of the JAR's entry: read through /proc/self/map_files (the extracted file
    // itself is gone), where the kernel lets this process read it.
    val loaded = mapping?.let { runCatching { File("/proc/self/map_files/${it.range}").readBytes() }.getOrNull() }
    if (url == null) return
    if (loaded == null) {
        println("native library: /proc/self/map_files unreadable here; its bytes were not compared")
        return
    }
    val inJar = sha256(url.openStream().use { it.readBytes() })
    val got = sha256(loaded)
    equal(got, inJar, "the loaded library's bytes are the JAR's $resource")
    if (got == inJar) println("native library: its bytes are the JAR's $resource (sha256 ${inJar.take(16)}...)")
}
