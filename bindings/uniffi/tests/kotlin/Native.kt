// Where JNA found the native library. scripts/test-uniffi runs this program against the
// booking-core JAR with -Dbookingcore.test.libraryFromJar=true: the library must then come from
// the JAR's JNA resource (linux-x86-64/libbooking_ffi.so), not from a path set outside it.
package org.bookingcore.test

import com.sun.jna.Library
import com.sun.jna.NativeLibrary
import com.sun.jna.Platform
import org.bookingcore.*
import org.bookingcore.test.Checks.check
import org.bookingcore.test.Checks.equal
import java.io.File
import java.security.MessageDigest

fun sha256(bytes: ByteArray): String =
    MessageDigest.getInstance("SHA-256").digest(bytes).joinToString("") { "%02x".format(it) }

fun nativeLibrary() {
    liveObjectCount() // the binding loads its library on first use
    // The generated code registers its functions with the library JNA finds for "booking_ffi" in
    // the class loader of the binding's classes; asked the same way, JNA answers that library.
    val path = NativeLibrary.getInstance(
        "booking_ffi",
        mapOf(Library.OPTION_CLASSLOADER to BookingEngine::class.java.classLoader),
    ).file?.absolutePath
    val resource = "${Platform.RESOURCE_PREFIX}/${System.mapLibraryName("booking_ffi")}"
    val url = BookingEngine::class.java.classLoader.getResource(resource)
    println("native library: loaded from $path; classpath resource $resource: ${url ?: "none"}")
    check(path != null, "JNA names the file it loaded")
    // Its mappings in this process (Linux). JNA deletes a library it extracted once it is loaded.
    val maps = File("/proc/self/maps")
    val mapped = if (!maps.exists() || path == null) emptyList() else
        maps.readLines().filter { it.endsWith(" $path") || it.endsWith(" $path (deleted)") }
    check(mapped.isNotEmpty() || !maps.exists(), "the process has $path mapped")

    if (System.getProperty("bookingcore.test.libraryFromJar") != "true") return
    equal(System.getProperty("jna.library.path"), null, "no jna.library.path")
    equal(System.getenv("LD_LIBRARY_PATH"), null, "no LD_LIBRARY_PATH")
    check(url?.protocol == "jar", "$resource is a resource of a JAR ($url)")
    // The bytes mapped are those of the JAR's resource: read through /proc/self/map_files (the
    // extracted file itself is gone), where the kernel lets this process read it.
    val loaded = mapped.firstOrNull()
        ?.let { runCatching { File("/proc/self/map_files/${it.substringBefore(' ')}").readBytes() }.getOrNull() }
    if (url == null || loaded == null) {
        println("native library: /proc/self/map_files unreadable here; checked by path only")
        return
    }
    val inJar = sha256(url.openStream().use { it.readBytes() })
    equal(sha256(loaded), inJar, "the loaded library is the JAR's $resource, extracted")
    println("native library: its bytes are the JAR's $resource (sha256 ${inJar.take(16)}...)")
}
