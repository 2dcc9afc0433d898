extension Catalog {
    /// The catalog files compiled into the binary, as (file name, contents).
    public static var embeddedFiles: [(name: String, text: String)] {
        [
            ("core.catalog", PackageResources.core_catalog),
            ("winsock.catalog", PackageResources.winsock_catalog),
            ("errno.catalog", PackageResources.errno_catalog),
            ("curl.catalog", PackageResources.curl_catalog),
            ("mail.catalog", PackageResources.mail_catalog),
        ].map { ($0.0, String(decoding: $0.1, as: UTF8.self)) }
    }

    /// Parses the catalog compiled into the binary.
    /// - Throws: ``CatalogError`` if a catalog file is malformed (the test suite prevents this from shipping).
    public static func embedded() throws(CatalogError) -> Catalog {
        let parser = CatalogParser()
        var conditions: [Condition] = []
        for file in Self.embeddedFiles {
            conditions += try parser.parse(file.text, file: file.name)
        }
        return Catalog(conditions: conditions)
    }
}
